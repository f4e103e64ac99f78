// Node health routes through router prefixes, the any-status probe note, and where the app listens
// (issue 10 item 6). In memory: each case is the smallest shape of a real framework layout.
import { describe, expect, it } from '@jest/globals';
import { detectFromFiles, memoryFiles } from '../../lib/detect/index.js';

const pkg = (deps: Record<string, string>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'api', scripts: { start: 'node src/server.js' }, dependencies: deps, ...extra });

describe('health routes under router prefixes', () => {
  const table: { name: string; files: Record<string, string>; path: string | undefined; source?: RegExp }[] = [
    {
      name: 'Express: app.use("/api", router) with the router imported (ESM)',
      files: {
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "import express from 'express';\nimport health from './routes/health.js';\nconst app = express();\napp.use('/api', health);\napp.listen(3000);\n",
        'src/routes/health.js':
          "import { Router } from 'express';\nconst router = Router();\nrouter.get('/health', (req, res) => res.send('ok'));\nexport default router;\n",
      },
      path: '/api/health',
      source: /^src\/routes\/health\.js:3: router\.get\('\/health'.* \(under \/api \(src\/server\.js:4\)\)$/,
    },
    {
      name: 'Express: nested routers through require and index files',
      files: {
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "const express = require('express');\nconst app = express();\napp.use('/api/v1', require('./routes'));\napp.listen(3000);\n",
        'src/routes/index.js':
          "const router = require('express').Router();\nconst status = require('./status');\nrouter.use('/status', status);\nmodule.exports = router;\n",
        'src/routes/status.js':
          "const r = require('express').Router();\nr.get('/ping', (q, s) => s.json({}));\nmodule.exports = r;\n",
      },
      path: '/api/v1/status/ping',
    },
    {
      name: 'Express: a local router mounted in the same file',
      files: {
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "const express = require('express');\nconst app = express();\nconst api = express.Router();\napi.get('/healthz', (q, s) => s.end());\napp.use('/internal', api);\napp.listen(3000);\n",
      },
      path: '/internal/healthz',
    },
    {
      name: 'Express: a chained Router().use("/api", api) default export',
      files: {
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "import express from 'express';\nimport routes from './routes.js';\nconst app = express();\napp.use(routes);\napp.listen(3000);\n",
        'src/routes.js':
          "import { Router } from 'express';\nimport health from './health.js';\nconst api = Router().use(health);\nexport default Router().use('/api', api);\n",
        'src/health.js':
          "import { Router } from 'express';\nconst router = Router();\nrouter.get('/health', (q, s) => s.end());\nexport default router;\n",
      },
      path: '/api/health',
    },
    {
      name: 'Koa: new Router({ prefix })',
      files: {
        'package.json': pkg({ koa: '2', '@koa/router': '12' }),
        'src/server.js':
          "const Koa = require('koa');\nconst Router = require('@koa/router');\nconst app = new Koa();\nconst router = new Router({ prefix: '/api' });\nrouter.get('/health', (ctx) => { ctx.body = 'ok'; });\napp.use(router.routes());\napp.listen(3000);\n",
      },
      path: '/api/health',
    },
    {
      name: 'Fastify: register(plugin, { prefix }) with a local plugin function',
      files: {
        'package.json': pkg({ fastify: '5' }),
        'src/server.js':
          "import Fastify from 'fastify';\nconst app = Fastify();\nasync function ops(f) {\n  f.get('/livez', async () => 'ok');\n}\napp.register(ops, { prefix: '/ops' });\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n",
      },
      path: '/ops/livez',
    },
    {
      name: 'Fastify: register(import(...), { prefix }) and route({ url })',
      files: {
        'package.json': pkg({ fastify: '5' }),
        'src/server.js':
          "import Fastify from 'fastify';\nconst app = Fastify();\napp.register(import('./health.js'), { prefix: '/api' });\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n",
        'src/health.js':
          "export default async function (fastify) {\n  fastify.route({ method: 'GET', url: '/health', handler: async () => ({ ok: true }) });\n}\n",
      },
      path: '/api/health',
    },
    {
      name: 'Fastify: @fastify/autoload folders are prefixes (fastify-cli layout: routes/health/index.js get("/"))',
      files: {
        'package.json': pkg({ fastify: '5', '@fastify/autoload': '6' }),
        'src/server.js':
          "import Fastify from 'fastify';\nimport app from './app.js';\nconst f = Fastify();\nf.register(app);\nawait f.listen({ port: 3000, host: '0.0.0.0' });\n",
        'src/app.js':
          "import path from 'node:path';\nimport AutoLoad from '@fastify/autoload';\nexport default async function (fastify, opts) {\n  fastify.register(AutoLoad, { dir: path.join(import.meta.dirname, 'plugins'), options: { ...opts } });\n  fastify.register(AutoLoad, {\n    dir: path.join(import.meta.dirname, 'routes'),\n    options: { prefix: '/api' },\n  });\n}\n",
        'src/routes/root.js':
          "export default async function (fastify) {\n  fastify.get('/', async () => ({ root: true }));\n}\n",
        'src/routes/health/index.js':
          "export default async function (fastify) {\n  fastify.get('/', async () => ({ status: 'ok' }));\n}\n",
        'src/routes/users/index.js':
          "export default async function (fastify) {\n  fastify.get('/', async () => []);\n}\n",
      },
      path: '/api/health',
      source:
        /^src\/routes\/health\/index\.js:2: fastify\.get\('\/'.*\(loaded by @fastify\/autoload at src\/app\.js:5: the folders are the prefix\)$/,
    },
    {
      name: 'Fastify: autoload (CommonJS) with a plugin autoPrefix',
      files: {
        'package.json': pkg({ fastify: '4', '@fastify/autoload': '5' }),
        'src/server.js':
          "const path = require('path');\nconst AutoLoad = require('@fastify/autoload');\nconst app = require('fastify')();\napp.register(AutoLoad, { dir: path.join(__dirname, 'routes') });\napp.listen({ port: 3000, host: '0.0.0.0' });\n",
        'src/routes/ops.js':
          "module.exports = async function (fastify) {\n  fastify.get('/livez', async () => 'ok');\n};\nmodule.exports.autoPrefix = '/ops';\n",
      },
      path: '/ops/livez',
    },
    {
      name: 'NestJS: @Controller("health") + @Get() under setGlobalPrefix("api")',
      files: {
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { start: 'nest start' },
          dependencies: { '@nestjs/core': '10' },
        }),
        'tsconfig.json': '{"compilerOptions":{"outDir":"./dist"}}',
        'src/main.ts':
          "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  await app.listen(3000);\n}\nbootstrap();\n",
        'src/health/health.controller.ts':
          "import { Controller, Get } from '@nestjs/common';\n@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return { status: 'ok' }; }\n}\n",
      },
      path: '/api/health',
      source:
        /^src\/health\/health\.controller\.ts:4: @Get\(\) \(@Controller\('health'\) at .*global prefix api at src\/main\.ts:4/,
    },
    {
      name: 'NestJS: a health route excluded from the global prefix, URI versioning',
      files: {
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { start: 'nest start' },
          dependencies: { '@nestjs/core': '10' },
        }),
        'src/main.ts':
          "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api', { exclude: ['healthz'] });\napp.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });\n",
        'src/app.controller.ts':
          "@Controller({ version: VERSION_NEUTRAL })\nexport class AppController {\n  @Get('healthz')\n  h() {}\n}\n",
      },
      path: '/healthz',
    },
    {
      name: 'NestJS: versioned controller',
      files: {
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { start: 'nest start' },
          dependencies: { '@nestjs/core': '10' },
        }),
        'src/main.ts':
          "app.setGlobalPrefix('api');\napp.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });\n",
        'src/status.controller.ts': "@Controller('status')\nexport class S {\n  @Get('ping')\n  p() {}\n}\n",
      },
      path: '/api/v1/status/ping',
    },
    {
      name: 'a commented-out route is not a route',
      files: {
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "const app = require('express')();\n// app.get('/healthz', h);\n/* app.get('/health', h) */\napp.listen(3000);\n",
      },
      path: undefined,
    },
  ];
  it.each(table)('$name', ({ files, path, source }) => {
    const f = detectFromFiles(memoryFiles(files));
    expect(f.healthPath?.value).toEqual(path);
    if (source) expect(f.healthPath?.source).toMatch(source);
    const anyStatus = (f.notes ?? []).some((n) => /counts any HTTP answer \(even a 404\) as alive/.test(n));
    expect(anyStatus).toBe(path === undefined);
  });
});

describe('where the app listens', () => {
  it("Fastify's listen({ port }) without a host: a note (localhost only)", () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ fastify: '5' }),
        'src/server.js':
          "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: process.env.PORT ?? 3000 });\n",
      }),
    );
    expect(f.port?.value).toBe(3000);
    expect((f.notes ?? []).join('\n')).toMatch(
      /^src\/server\.js:3: the app listens on localhost only \(Fastify's listen\(\) without a host binds localhost\)/m,
    );
  });
  it('Fastify with host 0.0.0.0: no note', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ fastify: '5' }),
        'src/server.js':
          "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({ port: 3000, host: '0.0.0.0' });\n",
      }),
    );
    expect((f.notes ?? []).join('\n')).not.toMatch(/localhost only/);
  });
  it("Express listen(3000, '127.0.0.1'): a note", () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ express: '4' }),
        'src/server.js': "const app = require('express')();\napp.listen(3000, '127.0.0.1');\n",
      }),
    );
    expect((f.notes ?? []).join('\n')).toMatch(/the app listens on localhost only \(it binds '127\.0\.0\.1'\)/);
  });
  it('Express listen(port) binds every interface: no note', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ express: '4' }),
        'src/server.js': "require('express')().listen(3000, () => {});\n",
      }),
    );
    expect((f.notes ?? []).join('\n')).not.toMatch(/localhost only/);
  });
  it("a host from process.env.HOST ?? 'localhost' (the Nx template): HOST is set to 0.0.0.0, no note", () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': pkg({ express: '4' }),
        'src/server.js':
          "const host = process.env.HOST ?? 'localhost';\nconst port = process.env.PORT ? Number(process.env.PORT) : 3000;\napp.listen(port, host, () => {});\n",
      }),
    );
    expect(f.hostEnv?.value).toBe('HOST');
    expect(f.hostEnv?.source).toMatch(/^src\/server\.js:1: /);
    expect((f.notes ?? []).join('\n')).not.toMatch(/localhost only/);
  });
  it('NestJS on the Fastify adapter: listen(3000) binds localhost', () => {
    const f = detectFromFiles(
      memoryFiles({
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { 'start:prod': 'node dist/main' },
          dependencies: { '@nestjs/core': '10', '@nestjs/platform-fastify': '10' },
        }),
        'src/main.ts':
          'const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\nawait app.listen(3000);\n',
      }),
    );
    expect((f.notes ?? []).join('\n')).toMatch(/src\/main\.ts:2: .*localhost only/);
  });
});

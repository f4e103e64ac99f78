import { readdirSync, readFileSync } from 'node:fs';
import { auditDockerfile, auditCompose } from './dist/lib/policy/index.js';
import { DockerfileParser } from 'dockerfile-ast';
import { parseDocument, LineCounter } from 'yaml';
const dir = process.argv[2];
const texts = readdirSync(dir + '/dockerfiles').map(n => readFileSync(dir + '/dockerfiles/' + n, 'utf8'));
const ctexts = readdirSync(dir + '/compose').map(n => readFileSync(dir + '/compose/' + n, 'utf8'));
for (let k=0;k<2;k++){
let t = performance.now(); for (const x of texts) DockerfileParser.parse(x); console.log('parse only', (performance.now()-t)/texts.length, 'ms/file');
t = performance.now(); for (const x of texts) auditDockerfile(x, 'Dockerfile'); console.log('audit df', (performance.now()-t)/texts.length);
t = performance.now(); for (const x of ctexts) parseDocument(x, {lineCounter: new LineCounter()}); console.log('yaml parse', (performance.now()-t)/ctexts.length);
t = performance.now(); for (const x of ctexts) auditCompose(x, 'compose.yaml'); console.log('audit compose', (performance.now()-t)/ctexts.length);
}

// A tiny HTTP service: GET / answers JSON, GET /healthz answers "ok".
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.end('ok\n');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ hello: 'world', uid: process.getuid() }) + '\n');
  })
  .listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));

// Screenshots of the n8n editor showing each workflow, for the README. Run by scripts/test-n8n.sh when
// VIDEOAKKA_N8N_SCREENSHOTS names a folder, against the n8n it started:
//   node scripts/n8n-screenshots.js <n8n url> <out dir> <workflow id>=<file name> ...
// It makes n8n's owner account (a throwaway one: the user folder is temporary), then drives a headless Debian
// chromium over the DevTools protocol (the `ws` package comes with n8n: NODE_PATH points at its node_modules), with
// the login cookie set, and saves one PNG per workflow.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const WebSocket = require('ws');

const [base, outDir, ...shots] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ownerCookie() {
  const response = await fetch(`${base}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@videoakka.test', firstName: 'Video', lastName: 'Akka', password: 'Screenshot-only-1' }),
  });
  if (!response.ok) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') || '').match(/n8n-auth=([^;]+)/);
  if (!cookie) throw new Error('owner setup set no n8n-auth cookie');
  return cookie[1];
}

async function devTools(port) {
  for (let i = 0; i < 60; i++) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((t) => t.type === 'page');
      if (page) return page.webSocketDebuggerUrl;
    } catch (e) { /* not up yet */ }
    await sleep(500);
  }
  throw new Error('chromium did not open its DevTools port');
}

function client(url) {
  const socket = new WebSocket(url);
  let next = 0;
  const pending = new Map();
  socket.on('message', (text) => {
    const message = JSON.parse(text);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(message.error.message)) : resolve(message.result);
    }
  });
  const opened = new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
  return {
    opened,
    send: (method, params = {}) => new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    }),
    close: () => socket.close(),
  };
}

(async () => {
  const cookie = await ownerCookie();
  const port = 9300 + Math.floor(Math.random() * 500);
  const profile = fs.mkdtempSync(path.join(require('os').tmpdir(), 'videoakka-chromium-'));
  const chromium = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--remote-debugging-port=${port}`,
    `--user-data-dir=${profile}`, '--window-size=1400,760', 'about:blank'], { stdio: 'ignore' });
  try {
    const cdp = client(await devTools(port));
    await cdp.opened;
    await cdp.send('Network.enable');
    await cdp.send('Network.setCookie', { name: 'n8n-auth', value: cookie, url: base });
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 760, deviceScaleFactor: 1, mobile: false });
    for (const shot of shots) {
      const [id, file] = shot.split('=');
      await cdp.send('Page.navigate', { url: `${base}/workflow/${id}` });
      await sleep(9000); // the editor loads its bundle, then draws the canvas and fits it to the view
      const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(path.join(outDir, file), Buffer.from(data, 'base64'));
      console.log(`screenshot ${file}`);
    }
    cdp.close();
  } finally {
    const exited = new Promise((resolve) => chromium.once('exit', resolve));
    chromium.kill('SIGKILL');
    await exited; // its profile is written to until it is gone
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
})().catch((e) => { console.error(e.message); process.exit(1); });

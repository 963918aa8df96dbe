// nock patches node's http module, which every test file of a jest worker shares. A file that
// leaves it patched breaks later files that speak raw HTTP (CONNECT tunnels to the emulator's
// blob proxy, for one). Each file therefore takes its own nock instance down when it ends.
afterAll(() => {
  const nock = require("nock");
  nock.cleanAll();
  nock.restore();
  nock.enableNetConnect();
});

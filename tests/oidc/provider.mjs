// A real OpenID provider (panva's certified `oidc-provider`) standing in for a national eID service (AUTH-6):
// the tests start it on a loopback port, and `make run` starts it as the clearly labelled demo eID provider.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"issuer": "http://127.0.0.1:3900", "port": 3900, "label": "...",
//               "clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
//               "accounts": [{"id", "name", "national_id", "birthdate"}], "id_token_ttl": 600}
//
// Everything issued is real: authorization codes (single use, PKCE S256 required), ID tokens signed with a
// key generated at start (RS256, published at the JWKS endpoint). Only the sign-in at the provider is a
// stand-in: a page lists the configured accounts and you pick one (no password), then consent is given at once.
// An account's `national_id` is sent as the `national_id` claim (BSN, or Belgian national register / BIS
// number) and `birthdate` as the standard claim; either may be left out or wrong to test refusals.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

// oidc-provider is installed under .tools/ (Makefile), not next to this script.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.PORTAL_TOOLS_DIR || path.resolve(here, '..', '..', '.tools');
const entry = pathToFileURL(path.join(root, 'node_modules', 'oidc-provider', 'lib', 'index.js'));
const { default: Provider, interactionPolicy } = await import(entry.href);

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(config.accounts.map((a) => [a.id, a]));
const label = config.label || 'Test eID provider';
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'eid-1' };

const provider = new Provider(config.issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  pkce: { required: () => true }, // S256 only (the provider's default methods)
  scopes: ['openid', 'national_id'],
  claims: { openid: ['sub'], national_id: ['national_id', 'birthdate', 'name'] },
  conformIdTokenClaims: false, // the claims go into the ID token itself, as an eID assertion does
  features: { devInteractions: { enabled: false } },
  interactions: { policy: interactionPolicy.base(), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { IdToken: config.id_token_ttl || 600, AuthorizationCode: 60, AccessToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(_ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: account.name };
        if (account.national_id !== undefined) claims.national_id = account.national_id;
        if (account.birthdate !== undefined) claims.birthdate = account.birthdate;
        return claims;
      },
    };
  },
});
provider.proxy = true;

function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(label)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:1.5rem auto;padding:0 1rem}
.banner{background:#fff3cd;border:1px solid #b58900;padding:.75rem;border-radius:.5rem}
button{display:block;width:100%;min-height:48px;margin:.5rem 0;font-size:1rem}</style></head>
<body><p class="banner" role="note"><strong>${escape(label)}</strong><br>
Not a real national eID: pick an account to sign in as. / Geen echte eID: kies een account.</p>${body}</body></html>`);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, '<p>Unknown interaction.</p>');
  const { prompt, params } = details;
  if (prompt.name === 'login' && req.method === 'POST' && action === 'login') {
    const body = await new Promise((ok) => { let s = ''; req.on('data', (d) => { s += d; }); req.on('end', () => ok(s)); });
    const accountId = new URLSearchParams(body).get('account') || '';
    if (!accounts.has(accountId)) return page(res, 400, '<p>Unknown account.</p>');
    return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'login') {
    const buttons = [...accounts.values()].map((a) => `<button type="submit" name="account" value="${escape(a.id)}">`
      + `Sign in as ${escape(a.name)}</button>`).join('');
    return page(res, 200, `<h1>Sign in</h1><form method="post" action="/interaction/${escape(uid)}/login">${buttons}</form>`);
  }
  if (prompt.name === 'consent') { // given at once: the eID hands over the national id it was asked for
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return page(res, 400, '<p>Unsupported step.</p>');
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(new URL(req.url, 'http://x').pathname);
  if (match) {
    interaction(req, res, match[1], match[2]).catch((err) => page(res, 400, `<p>${escape(err.message)}</p>`));
    return;
  }
  callback(req, res);
});
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`${label}: ${config.issuer} ready\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The OpenID provider the sign-in tests run against: oidc-provider (a certified OpenID
// Connect implementation) with its development login and consent pages, on 127.0.0.1.
//
//   node provider.mjs PORT_FILE
//
// Listens on a free port (or $OIDC_PROVIDER_PORT) and writes the port to PORT_FILE.
//
// Accounts: any login name is an account; its password is anything (the development
// login page). The login `x@school.test` has the verified email x@school.test; a login
// starting with `unverified.` has an unverified email. Examples used by the tests:
//   ada@school.test (verified), unverified.bob@school.test (unverified),
//   cy@other.test (verified), unverified.dee@other.test (unverified).
// The subject is the login. `hd` is the email's domain (as Google sends for Workspace
// accounts) unless the login starts with `personal.`.
//
// Clients (secret `schoolhouse-test-secret`, redirect URI
// http://127.0.0.1:<any port>/api/auth/oidc/<any id>/callback, the loopback rule of RFC 8252):
//   schoolhouse          a well-behaved client
//   schoolhouse-misaud   its ID tokens name another audience (a misbehaving provider)
//   schoolhouse-short    its ID tokens live one second
import http from 'node:http';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const portFile = process.argv[2];
const server = http.createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PROVIDER_PORT || 0), '127.0.0.1', resolve));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

const SECRET = 'schoolhouse-test-secret';
const client = (id) => ({
  client_id: id,
  client_secret: SECRET,
  redirect_uris: ['http://127.0.0.1/api/auth/oidc/test/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('schoolhouse'), client('schoolhouse-misaud'), client('schoolhouse-short')],
  cookies: { keys: ['schoolhouse-oidc-test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'hd'] },
  // Put the scope's claims into the ID token (Google does), not only behind userinfo.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: {
    IdToken: (ctx, token, c) => (c && c.clientId === 'schoolhouse-short' ? 1 : 3600),
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const login = String(id);
    const email = login.replace(/^(unverified|personal)\./, '');
    const domain = email.split('@')[1] || '';
    return {
      accountId: login,
      async claims() {
        const claims = {
          sub: login,
          email,
          email_verified: !login.startsWith('unverified.'),
          name: email.split('@')[0].replace(/\./g, ' '),
        };
        if (!login.startsWith('personal.')) claims.hd = domain;
        return claims;
      },
    };
  },
});
provider.proxy = false;

// Loopback redirect URIs match with any port (RFC 8252 section 7.3) and any provider id:
// each test app listens on its own port.
const loopback = /^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/oidc\/[a-z0-9-]+\/callback$/;
const allowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
  return loopback.test(uri) || allowed.call(this, uri);
};

// A misbehaving provider for one client: its ID tokens are issued for another audience.
const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issueMaybeForAnother(...args) {
  if (this.client && this.client.clientId === 'schoolhouse-misaud') {
    const real = this.client;
    this.client = new Proxy(real, {
      get(target, key) {
        if (key === 'clientId') return 'another-app';
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    try {
      return await issue.apply(this, args);
    } finally {
      this.client = real;
    }
  }
  return issue.apply(this, args);
};

server.on('request', provider.callback());
fs.writeFileSync(portFile, String(port));
console.log(`oidc-provider listening on ${issuer}`);

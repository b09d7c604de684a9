/**
 * Discovery says exactly what exists: one metadata document at both well-known paths (RFC 8414
 * and OIDC's), the configured issuer as is, the code flow with PKCE S256, userinfo and logout,
 * no member for what Tessera does not do (registration, request objects, session iframes, JWT
 * client authentication), and every advertised client authentication method really accepted.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestApp,
  registerUser,
  STRONG_PASSWORD,
  type TestApp,
} from "../support/test-app.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

const EXPECTED = {
  issuer: "http://tessera.test",
  authorization_endpoint: "http://tessera.test/oauth2/authorize",
  token_endpoint: "http://tessera.test/oauth2/token",
  userinfo_endpoint: "http://tessera.test/oauth2/userinfo",
  end_session_endpoint: "http://tessera.test/oauth2/logout",
  jwks_uri: "http://tessera.test/.well-known/jwks.json",
  scopes_supported: ["openid", "profile", "email", "offline_access"],
  response_types_supported: ["code"],
  response_modes_supported: ["query"],
  grant_types_supported: [
    "authorization_code",
    "refresh_token",
    "client_credentials",
    EXCHANGE,
    "password",
  ],
  code_challenge_methods_supported: ["S256"],
  subject_types_supported: ["public"],
  id_token_signing_alg_values_supported: ["RS256"],
  claims_supported: [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "amr",
    "sid",
    "at_hash",
    "azp",
    "name",
    "preferred_username",
    "locale",
    "updated_at",
    "email",
    "email_verified",
  ],
  prompt_values_supported: ["none", "login", "consent"],
  authorization_response_iss_parameter_supported: true,
  claims_parameter_supported: false,
  request_parameter_supported: false,
  request_uri_parameter_supported: false,
  token_endpoint_auth_methods_supported: [
    "client_secret_basic",
    "client_secret_post",
    "none",
  ],
  introspection_endpoint: "http://tessera.test/oauth2/introspect",
  introspection_endpoint_auth_methods_supported: [
    "client_secret_basic",
    "client_secret_post",
    "Bearer",
  ],
  revocation_endpoint: "http://tessera.test/oauth2/revoke",
  revocation_endpoint_auth_methods_supported: [
    "client_secret_basic",
    "client_secret_post",
    "none",
  ],
  service_documentation: "http://tessera.test/docs",
};

type Metadata = typeof EXPECTED;

describe("authorization server metadata", () => {
  let t: TestApp;
  let client: { id: string; secret: string };
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({
      TESSERA_BOOTSTRAP_ADMIN: `root:${STRONG_PASSWORD}`,
    });
    const made = await t.app.core.clients.register(
      {
        name: "discovered",
        grantTypes: ["client_credentials", "refresh_token", "password"],
      },
      {},
    );
    client = { id: made.client.id, secret: made.clientSecret };
    admin = (
      await t.request("POST", "/v1/auth/login", {
        body: { username: "root", password: STRONG_PASSWORD },
      })
    ).json<{ access_token: string }>().access_token;
  });
  afterAll(async () => t.close());

  const metadata = async (url: string) => {
    const res = await t.request("GET", url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["cache-control"]).toBe("public, max-age=300");
    return res.json<Metadata>();
  };

  it("is one document at /.well-known/oauth-authorization-server and /.well-known/openid-configuration", async () => {
    const rfc8414 = await metadata("/.well-known/oauth-authorization-server");
    const oidc = await metadata("/.well-known/openid-configuration");
    expect(rfc8414).toEqual(EXPECTED);
    expect(oidc).toEqual(rfc8414);
  });

  it("claims nothing that does not exist, and every endpoint it names answers", async () => {
    const doc: Record<string, unknown> = await metadata(
      "/.well-known/oauth-authorization-server",
    );
    for (const absent of [
      "registration_endpoint",
      "check_session_iframe",
      "frontchannel_logout_supported",
      "backchannel_logout_supported",
      "token_endpoint_auth_signing_alg_values_supported",
      "request_object_signing_alg_values_supported",
      "userinfo_signing_alg_values_supported",
      "id_token_encryption_alg_values_supported",
      "acr_values_supported",
      "display_values_supported",
    ]) {
      expect(doc, absent).not.toHaveProperty(absent);
    }
    for (const member of [
      "authorization_endpoint",
      "userinfo_endpoint",
      "end_session_endpoint",
      "token_endpoint",
      "jwks_uri",
    ]) {
      const path = new URL(doc[member] as string).pathname;
      const res = await t.request(
        member === "token_endpoint" ? "POST" : "GET",
        path,
      );
      expect(
        [404, 405, 500],
        `${member} ${path}: ${res.statusCode}`,
      ).not.toContain(res.statusCode);
    }
    // the service documentation is there
    expect((await t.request("GET", "/docs")).statusCode).toBeLessThan(400);
  });

  /** One request per advertised method: each must get past client authentication. */
  it("every advertised client authentication method is accepted by its endpoint", async () => {
    const doc = await metadata("/.well-known/oauth-authorization-server");
    const user = await registerUser(t, "discovery-user@example.com");
    const post = (
      url: string,
      form: Record<string, string>,
      headers: Record<string, string> = {},
    ) =>
      t.request("POST", url, {
        body: new URLSearchParams(form).toString(),
        headers: { ...FORM, ...headers },
      });
    const bodySecret = { client_id: client.id, client_secret: client.secret };
    const byMethod: Record<
      string,
      Record<string, () => Promise<LightMyRequestResponse>>
    > = {
      "/oauth2/token": {
        client_secret_basic: () =>
          post(
            "/oauth2/token",
            { grant_type: "client_credentials" },
            { authorization: basic(client.id, client.secret) },
          ),
        client_secret_post: () =>
          post("/oauth2/token", {
            grant_type: "client_credentials",
            ...bodySecret,
          }),
        none: () =>
          post("/oauth2/token", {
            grant_type: "password",
            username: "discovery-user@example.com",
            password: STRONG_PASSWORD,
          }),
      },
      "/oauth2/introspect": {
        client_secret_basic: () =>
          post(
            "/oauth2/introspect",
            { token: user.access_token },
            { authorization: basic(client.id, client.secret) },
          ),
        client_secret_post: () =>
          post("/oauth2/introspect", {
            token: user.access_token,
            ...bodySecret,
          }),
        Bearer: () =>
          post(
            "/oauth2/introspect",
            { token: user.access_token },
            { authorization: `Bearer ${admin}` },
          ),
      },
      "/oauth2/revoke": {
        client_secret_basic: () =>
          post(
            "/oauth2/revoke",
            { token: "never-issued" },
            { authorization: basic(client.id, client.secret) },
          ),
        client_secret_post: () =>
          post("/oauth2/revoke", { token: "never-issued", ...bodySecret }),
        none: () => post("/oauth2/revoke", { token: "never-issued" }),
      },
    };
    const advertised: Array<[string, string[]]> = [
      ["/oauth2/token", doc.token_endpoint_auth_methods_supported],
      ["/oauth2/introspect", doc.introspection_endpoint_auth_methods_supported],
      ["/oauth2/revoke", doc.revocation_endpoint_auth_methods_supported],
    ];
    for (const [endpoint, methods] of advertised) {
      expect(Object.keys(byMethod[endpoint]!).sort(), endpoint).toEqual(
        [...methods].sort(),
      );
      for (const method of methods) {
        const res = await byMethod[endpoint]![method]!();
        expect(res.statusCode, `${endpoint} ${method}: ${res.body}`).toBe(200);
      }
    }
    // and what is not advertised is refused: introspection without any caller
    const anonymous = await post("/oauth2/introspect", {
      token: user.access_token,
    });
    expect(anonymous.json()).toMatchObject({ error: "invalid_client" });
  });

  it("is no OAuth endpoint: a bad X-nugios-timezone there is problem JSON, as on every route", async () => {
    for (const url of [
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
    ]) {
      const res = await t.request("GET", url, {
        headers: { "x-nugios-timezone": "abc" },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers["content-type"], url).toMatch(
        /^application\/problem\+json/,
      );
    }
  });

  it("the OpenAPI document describes the metadata members it really has", async () => {
    const spec = (await t.request("GET", "/openapi.json")).json<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown> }>
      >;
    }>();
    const doc = await metadata("/.well-known/oauth-authorization-server");
    for (const path of [
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
    ]) {
      const ok = spec.paths[path]?.get?.responses["200"] as {
        content: Record<
          string,
          { schema: { properties: Record<string, unknown> } }
        >;
      };
      expect(
        Object.keys(ok.content["application/json"]!.schema.properties).sort(),
        path,
      ).toEqual(Object.keys(doc).sort());
    }
  });
});

describe("metadata under other settings", () => {
  it("drops password from grant_types_supported when the grant is off, in both documents", async () => {
    const off = await createTestApp({ OAUTH_PASSWORD_GRANT: "false" });
    try {
      for (const url of [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
      ]) {
        expect(
          (await off.request("GET", url)).json().grant_types_supported,
          url,
        ).toEqual([
          "authorization_code",
          "refresh_token",
          "client_credentials",
          EXCHANGE,
        ]);
      }
    } finally {
      await off.close();
    }
  });

  it("an issuer with a path: issuer as configured, and the document at the RFC 8414 issuer path too", async () => {
    const tenant = await createTestApp({
      PUBLIC_URL: "https://auth.example.com/tenant",
    });
    try {
      const root = (
        await tenant.request("GET", "/.well-known/oauth-authorization-server")
      ).json<Metadata>();
      expect(root.issuer).toBe("https://auth.example.com/tenant");
      expect(root.token_endpoint).toBe(
        "https://auth.example.com/tenant/oauth2/token",
      );
      const atPath = await tenant.request(
        "GET",
        "/.well-known/oauth-authorization-server/tenant",
      );
      expect(atPath.statusCode).toBe(200);
      expect(atPath.json()).toEqual(root);
      expect(
        (
          await tenant.request("GET", "/.well-known/openid-configuration")
        ).json(),
      ).toEqual(root);
    } finally {
      await tenant.close();
    }
  });
});

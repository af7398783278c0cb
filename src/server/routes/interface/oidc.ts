import * as client from 'openid-client';
import { isLoopback, type OidcConfig } from '../../../config.js';
import type { OidcIdentity } from '../../../interface/index.js';

/**
 * Sign-in through the configured OpenID Connect provider (NHS organisations use Microsoft Entra
 * ID) with openid-client: authorization code flow with PKCE, state and nonce. Nothing here
 * decides who may sign in: the identity goes to signInWithOidc, which only links it to an
 * account an administrator opened.
 */
export interface OidcCheck {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where to go after signing in: a path on this site. */
  next: string;
}

export interface OidcProvider {
  /** The provider's sign-in page to send the person to, and what to check when they come back. */
  start(next: string): Promise<{ url: URL; check: OidcCheck }>;
  /** Exchanges the code the provider sent back (the query string of the callback) for an identity. */
  finish(query: string, check: OidcCheck): Promise<OidcIdentity>;
}

const SCOPE = 'openid email profile';

export function oidcProvider(settings: OidcConfig): OidcProvider {
  let configuration: Promise<client.Configuration> | undefined;
  // Discovery happens at the first sign-in, not at start-up, so a provider that is down does not
  // stop the server; a failed discovery is tried again next time.
  const discover = () => {
    configuration ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        undefined,
        // Config refuses plain HTTP except on loopback (tests and local trials).
        isLoopback(new URL(settings.issuer)) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };

  return {
    async start(next) {
      const config = await discover();
      const check: OidcCheck = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), next };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(check.codeVerifier),
        code_challenge_method: 'S256',
        state: check.state,
        nonce: check.nonce,
      });
      return { url, check };
    },

    async finish(query, check) {
      const config = await discover();
      // The URL the provider redirected to, rebuilt from configuration rather than from the
      // request's Host header, which a client or proxy could set to anything.
      const currentUrl = new URL(settings.redirectUrl);
      currentUrl.search = query;
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: check.codeVerifier,
        expectedState: check.state,
        expectedNonce: check.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('The provider sent no ID token.');
      // Only an address the provider vouches for may link an account; Entra ID sends `email`
      // when the optional claim is configured for the app registration.
      const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined;
      return { issuer: claims.iss, subject: claims.sub, email };
    },
  };
}

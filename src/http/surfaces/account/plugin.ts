import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { registerPageSurface, type PageSurfaceOptions } from '../../shared/pages/register-page-surface.js';
import { accountRoutes } from './account.routes.js';
import { signInRoutes } from './signin.routes.js';

/**
 * The sign-in page and the account page of a person, on the browser session
 * (http/shared/browser-session.ts): sign in, see the profile, sessions and API keys, change the
 * password, sign out. Every form is CSRF-checked; every action is one core call.
 */
export const accountSurface: FastifyPluginAsyncTypebox<PageSurfaceOptions> = async (app, options) => {
  await registerPageSurface(app, options.pages);
  await app.register(signInRoutes, options);
  await app.register(accountRoutes, options);
};

// The context every admin page handler gets: the app's variables plus the signed-in user and
// the CSRF token for its forms. Its own file so that render.ts and session.ts need not import
// each other.
import type { Context } from "hono";
import type { Principal } from "../src/auth/principal.ts";
import type { AppEnv } from "../src/http/context.ts";

export interface PageEnv {
  Variables: AppEnv["Variables"] & {
    /** The signed-in user (set by requireSession). */
    session: Principal;
    /** The CSRF token to put in this page's forms. */
    csrf: string;
  };
}

export type PageContext = Context<PageEnv>;

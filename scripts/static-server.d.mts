/** Types for static-server.mjs (the e2e tests start one of their own). */
export interface StaticServerOptions {
  root: string;
  port?: number;
  prefix?: string;
  isolated?: boolean;
  defeatedWorker?: boolean;
  pageScript?: { path: string; source: string } | null;
  /** URL paths answered 404, as if the deploy lacked them (may change while the server runs). */
  missing?: Set<string>;
}

export declare function serveStatic(
  options: StaticServerOptions,
): Promise<{ url: string; close: () => Promise<void> }>;

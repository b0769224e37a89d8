/** Types for chromium-args.mjs. */
export declare const CHROMIUM_ARGS: string[];

/** Types for find-chromium.mjs (a plain Node script, also imported by a unit test). */
export declare const NO_CHROMIUM: string;
export interface ChromiumSystem {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  isRoot: () => boolean;
  osRelease: () => string;
  playwrightChromium: () => Promise<string>;
  run: (command: string, args: string[]) => void;
  log: (line: string) => void;
}
export declare function findChromium(overrides?: Partial<ChromiumSystem>): Promise<string>;

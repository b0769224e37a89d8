/** Types for find-browser.mjs (a plain Node script, also imported by TypeScript and a unit test). */
export type EngineName = 'chromium' | 'firefox' | 'webkit';
export interface WebKitParts {
  driver: string;
  miniBrowser: string;
  xvfbRun: string;
}
export interface FoundBrowsers {
  chromium: string;
  firefox: string;
  webkit: WebKitParts;
}
export declare const ENGINES: Record<
  EngineName,
  { label: string; env: string; paths: string[]; packages: string[] }
>;
export declare const NO_CHROMIUM: string;
export declare const NO_FIREFOX: string;
export declare const NO_WEBKIT: string;
export interface BrowserSystem {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  isRoot: () => boolean;
  osRelease: () => string;
  playwrightChromium: () => Promise<string>;
  run: (command: string, args: string[]) => void;
  log: (line: string) => void;
}
export declare function findBrowsers<N extends EngineName>(
  names: N[],
  overrides?: Partial<BrowserSystem>,
): Promise<Pick<FoundBrowsers, N>>;
export declare function findChromium(overrides?: Partial<BrowserSystem>): Promise<string>;
export declare function findFirefox(overrides?: Partial<BrowserSystem>): Promise<string>;
export declare function findWebKit(overrides?: Partial<BrowserSystem>): Promise<WebKitParts>;

/** Types for page-weight.mjs (a plain Node script, also imported by the e2e tests). */
export declare const BUDGET_BYTES: number;
export interface PageWeight {
  page: string;
  gzipBytes: number;
  files: string[];
}
export declare function pageWeight(dist: string, htmlPath: string, base?: string): PageWeight;
export declare function pageWeights(dist?: string): PageWeight[];

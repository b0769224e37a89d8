export declare function inlineScriptHashes(html: string): string[];
export declare function pagePolicy(html: string): string;
export declare function withPagePolicy(html: string): string;
export declare function withCourseNames(worker: string, names: string[]): string;
declare const contentSecurityPolicy: () => import('astro').AstroIntegration;
export default contentSecurityPolicy;

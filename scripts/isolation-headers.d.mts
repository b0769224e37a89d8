export declare const isolationHeaders: Readonly<Record<string, string>>;
export declare const contentSecurityPolicy: string;
export declare const siteHeaders: Readonly<Record<string, string>>;

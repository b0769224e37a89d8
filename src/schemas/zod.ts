/**
 * zod, configured once for every schema: no generated code. zod 4 compiles faster object parsers
 * with `new Function` after probing whether eval is allowed; the pages' Content-Security-Policy
 * allows no eval, so the probe itself was reported as a violation.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };

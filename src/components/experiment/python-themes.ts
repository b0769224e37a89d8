/**
 * Shiki themes for the experiment's Python on light and dark pages (build and browser alike).
 * The high-contrast GitHub pair: the plain pair's comments and parameters fall below WCAG AA's
 * 4.5:1 (axe: 3.0 and 3.5). Starlight's own code blocks adjust their colours themselves.
 */
export const PYTHON_THEMES = {
  light: 'github-light-high-contrast',
  dark: 'github-dark-high-contrast',
} as const;

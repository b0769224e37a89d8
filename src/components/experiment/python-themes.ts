/** Shiki themes for the experiment's Python on light and dark pages (build and browser alike). */
export const PYTHON_THEMES = { light: 'github-light', dark: 'github-dark' } as const;

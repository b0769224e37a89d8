// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import contentSecurityPolicy from './integrations/csp.mjs';
import pyodideAssets from './integrations/pyodide-assets.mjs';
import { siteHeaders } from './scripts/isolation-headers.mjs';

/**
 * Sub-path hosting (e.g. GitHub Pages project sites): `BASE_PATH=/gil-lab/ npm run build`.
 * Normalised to start and end with a slash so `${base}file.js` is always a valid URL path.
 */
const base = `/${(process.env.BASE_PATH ?? '').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');

export default defineConfig({
  base,
  trailingSlash: 'ignore',
  // Astro's own server.headers reach its HTML pages in both `astro dev` and `astro preview`
  // (Vite's server.headers does not).
  server: { port: 4321, host: '127.0.0.1', headers: siteHeaders },
  devToolbar: { enabled: false },
  integrations: [
    starlight({
      title: 'GIL Lab',
      description:
        "An interactive course on Python's Global Interpreter Lock: run real threads in your browser and watch them contend for the lock.",
      favicon: '/favicon.svg',
      customCss: ['./src/styles/course.css'],
      sidebar: [
        { label: 'Start here', link: '/' },
        { label: 'Lessons', items: [{ autogenerate: { directory: 'lessons' } }] },
        { label: 'Experiment lab', link: '/lab/' },
        { label: 'Python playground', link: '/playground/' },
      ],
      components: {
        Head: './src/overrides/Head.astro',
        PageTitle: './src/overrides/PageTitle.astro',
        Sidebar: './src/overrides/Sidebar.astro',
        Pagination: './src/overrides/Pagination.astro',
      },
      expressiveCode: {
        // Python is the course's main language; keep the themes readable in dark and light.
        themes: ['github-dark', 'github-light'],
        defaultProps: { wrap: false },
      },
    }),
    mdx(),
    // Copies the Pyodide runtime into public/pyodide/ (served by the site itself, never a CDN).
    pyodideAssets(),
    contentSecurityPolicy(),
  ],
  vite: {
    worker: { format: 'es' },
  },
});

import type { GraphiQLOptions } from 'graphql-yoga';

const pages = new Map<string, Promise<string>>();

/**
 * GraphiQL with its scripts, styles and editor workers inline (`@graphql-yoga/render-graphiql`), so the
 * page works where the browser cannot reach a CDN and fetches nothing from outside this server. The
 * bundle (~9 MB) is imported on the first GraphiQL request, not at start-up, and each page is rendered
 * once per set of options.
 */
export function renderBundledGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (!page) {
    page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    page.catch(() => pages.delete(key));
    pages.set(key, page);
  }
  return page;
}

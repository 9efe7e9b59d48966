import { PAGE_STYLE } from './page-style.js';

/**
 * A self-contained report page: no network (the Content-Security-Policy allows inline styles and
 * data: images only), the shared page style, a header and the sections. `title` and `header` are
 * HTML already escaped by the caller.
 */
export function htmlPage(title: string, header: string, sections: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<header>${header}</header>
${sections.filter((s) => s !== '').join('\n')}
</main>
</body>
</html>
`;
}

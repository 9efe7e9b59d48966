/** The page's CSS: plain, readable on screen and on paper (no backgrounds needed, charts kept whole). */
export const PAGE_STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #111; margin: 0; background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.meta, .note, caption { color: #444; font-size: .9rem; }
caption { text-align: left; padding: .25rem 0; caption-side: top; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: .2rem .6rem; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
.ratio { color: #08519c; font-weight: 600; }
.error { color: #a50f15; }
figure { margin: 1rem 0 1.5rem; }
figure svg, figure img { max-width: 100%; height: auto; }
figure.image img { image-rendering: pixelated; border: 1px solid #ddd; }
figcaption { font-size: .9rem; color: #444; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, table { break-inside: avoid; }
}
`;

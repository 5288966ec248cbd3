/** Vite's `?raw` imports: a file's text (the report inlines the chart and report styles). */
declare module '*.css?raw' {
  const text: string
  export default text
}

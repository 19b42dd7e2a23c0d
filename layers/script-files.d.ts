/**
 * Scripts that run on instances are files of their own, imported as their text: esbuild's
 * `text` loader (serverless.yml), a plugin in vitest.config.ts and local/text-files.ts under tsx.
 */
declare module '*.sh' {
  const text: string;
  export default text;
}

declare module '*.py' {
  const text: string;
  export default text;
}

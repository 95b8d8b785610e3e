// NestJS 12 ships ES modules only. Node >= 20.19 can require() them, but Jest's module runtime
// cannot before Node 24.9, so tests compile those packages to CommonJS on the fly (cached by Jest).
const { createHash } = require('node:crypto');
const ts = require('typescript');

module.exports = {
  getCacheKey(source, path) {
    return createHash('sha256').update('esm-to-cjs-2').update(path).update(source).digest('hex');
  },
  process(source, path) {
    // CommonJS already has `require`, and `import.meta` does not exist there.
    const prepared = source
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      // @nestjs/terminus checks optional peers with import.meta.resolve (a resolve, no load).
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/import\.meta\.dirname/g, '__dirname');
    const { outputText } = ts.transpileModule(prepared, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
};

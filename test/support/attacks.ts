/** The hostile inputs of issue 12, shared by the sanitiser, normalisation and export tests. */

/** OSC 0 (window title), CSI colours, a right-to-left override and a zero-width space. */
export const EVIL_TITLE = 'Evil\x1b]0;pwned\x07 \x1b[31mred\x1b[0m \u202Egnp.exe\u200B';
/** What EVIL_TITLE must become. */
export const EVIL_TITLE_CLEAN = 'Evil red gnp.exe';
/** A non-GitHub code link that would close a Markdown link and a BibTeX field. */
export const EVIL_CODE_URL = 'https://gitlab.com/a)[click](https://phish.example/x}},title={pwned}';
export const EVIL_CODE_URL_CLEAN = 'https://gitlab.com/a%29%5Bclick%5D%28https://phish.example/x%7D%7D,title=%7Bpwned%7D';
export const JS_URL = 'javascript:alert(1)';

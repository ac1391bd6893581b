// CommonJS stand-in for strip-bom (ESM-only), required by @microsoft/app-manifest.
module.exports = (text) => (typeof text === 'string' && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

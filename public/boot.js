// Loads the app's wasm-bindgen module. An external file, because the Content-Security-Policy allows no
// inline script; the hashed file names come from the data attributes Trunk writes (Trunk.toml).
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

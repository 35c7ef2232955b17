// Loads the app's wasm-bindgen module. An external file, because the Content-Security-Policy allows no
// inline script; the hashed file names come from the data attributes Trunk writes (Trunk.toml). It runs as
// soon as it arrives (`async`): the app's JavaScript and wasm are imported and compiled while the page is
// still being read, and the app starts once the page is (it takes over the static first screen).
const tag = document.querySelector('script[data-js][data-wasm]');
// The wasm (preloaded by index.html) is compiled beside the import of its JavaScript, not after. A host that
// serves it with the wrong type makes compileStreaming fail: the app's own loader then fetches it itself.
const compiled = WebAssembly.compileStreaming?.(fetch(tag.dataset.wasm)).catch(() => undefined);
const imported = import(tag.dataset.js);
if (document.readyState === 'loading') {
  await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

// Until the app takes over the static first screen (src/boot.rs), pressing its Connect (or Enter in one of its
// fields) is remembered on the screen: the app then connects at once with what was typed.
const screen = document.getElementById('boot-screen');
const button = screen?.querySelector('.boot-connect button');
if (screen && button) {
  const ask = () => {
    screen.dataset.connectRequested = 'yes';
    button.textContent = 'Checking the token…';
  };
  button.addEventListener('click', ask);
  screen.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) ask();
  });
}

const { default: init } = await imported;
await init({ module_or_path: (await compiled) ?? tag.dataset.wasm });

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Built by Maven (themes/pom.xml, exec-maven-plugin): the output is the kc-connections account theme's resources,
// with Vite's manifest (.vite/manifest.json), from which Keycloak's account console page (index.ftl, inherited
// from keycloak.v3) takes the entry script and styles.
const out = process.env.KC_THEME_RESOURCES
  ?? resolve(dirname(fileURLToPath(import.meta.url)), "../target/account-ui/theme/kc-connections/account/resources");

export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: out,
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 4096,
    // One script: the entry's preloads in index.ftl would otherwise name manifest keys, not files.
    rollupOptions: { input: "src/main.tsx", output: { inlineDynamicImports: true } },
  },
});

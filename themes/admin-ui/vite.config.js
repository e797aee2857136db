import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Built by Maven (themes/pom.xml, exec-maven-plugin): the output is the kc-connections admin theme's resources, with
// Vite's manifest (.vite/manifest.json), from which Keycloak's admin console page (index.ftl, inherited from
// keycloak.v2) takes the entry script and styles.
const out = process.env.KC_THEME_RESOURCES
  ?? resolve(dirname(fileURLToPath(import.meta.url)), "../target/admin-ui/theme/kc-connections/admin/resources");

export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: out,
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 8192,
    // One script: index.ftl preloads the entry's imports by manifest key, so the bundle is a single file.
    rollupOptions: { input: "src/main.tsx", output: { inlineDynamicImports: true } },
  },
});

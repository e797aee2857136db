import type { Provider } from "./api";

/** The catalog's logo when it has one, else the provider's initial in a circle (decorative: the name is beside it). */
export const ProviderLogo = ({ provider, name }: { provider?: Provider; name: string }) =>
  provider?.logo_url ? (
    <img src={provider.logo_url} alt="" width={40} height={40} />
  ) : (
    <span
      aria-hidden="true"
      style={{
        display: "inline-flex",
        alignItems: "center",
        justifyContent: "center",
        width: 40,
        height: 40,
        borderRadius: "50%",
        background: "var(--pf-v5-global--palette--blue-50)",
        color: "var(--pf-v5-global--palette--blue-500)",
        fontWeight: 600,
        fontSize: 18,
      }}
    >
      {name.charAt(0).toUpperCase()}
    </span>
  );

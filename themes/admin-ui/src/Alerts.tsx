import { Alert, AlertActionCloseButton, AlertGroup } from "@patternfly/react-core";
import { createContext, PropsWithChildren, useCallback, useContext, useState } from "react";
import { ApiError } from "./api";

type Variant = "success" | "danger" | "info";
type Entry = { id: number; title: string; variant: Variant; details: string[] };
type Alerts = { add: (title: string, variant?: Variant) => void; error: (title: string, e: unknown) => void };

const Context = createContext<Alerts>({ add: () => {}, error: () => {} });

/** Toast alerts for our pages (Keycloak's own alert context is internal to its bundle). */
export const AlertsProvider = ({ children }: PropsWithChildren) => {
  const [entries, setEntries] = useState<Entry[]>([]);
  const remove = (id: number) => setEntries((all) => all.filter((e) => e.id !== id));
  const push = useCallback((title: string, variant: Variant, details: string[] = []) => {
    const id = Date.now() + Math.random();
    setEntries((all) => [...all, { id, title, variant, details }]);
    setTimeout(() => remove(id), 8000);
  }, []);
  const value: Alerts = {
    add: (title, variant = "success") => push(title, variant),
    error: (title, e) =>
      push(`${title}: ${e instanceof Error ? e.message : String(e)}`, "danger", e instanceof ApiError ? e.problems : []),
  };
  return (
    <Context.Provider value={value}>
      <AlertGroup isToast isLiveRegion data-testid="kcc-alerts">
        {entries.map((e) => (
          <Alert
            key={e.id}
            variant={e.variant}
            title={e.title}
            actionClose={<AlertActionCloseButton onClose={() => remove(e.id)} />}
          >
            {e.details.length > 0 && (
              <ul>
                {e.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </Alert>
        ))}
      </AlertGroup>
      {children}
    </Context.Provider>
  );
};

export const useAlerts = () => useContext(Context);

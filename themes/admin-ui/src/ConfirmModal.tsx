import { Button, Modal } from "@patternfly/react-core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A confirmation for a destructive action on one item: open while {@code item} is set; the danger button closes it
 * and hands the item on, Cancel (or closing) drops it.
 */
export function ConfirmModal<T>({
  item,
  title,
  action,
  testId,
  onClose,
  onConfirm,
  children,
}: {
  item: T | undefined;
  title: string;
  action: string;
  testId: string;
  onClose: () => void;
  onConfirm: (item: T) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      variant="small"
      title={title}
      isOpen={item !== undefined}
      onClose={onClose}
      actions={[
        <Button key="confirm" variant="danger" data-testid={testId}
          onClick={() => {
            const chosen = item!;
            onClose();
            onConfirm(chosen);
          }}>
          {action}
        </Button>,
        <Button key="cancel" variant="link" onClick={onClose}>
          {t("cancel")}
        </Button>,
      ]}
    >
      {children}
    </Modal>
  );
}

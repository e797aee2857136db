import { Button, Modal, ModalVariant } from "@patternfly/react-core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A confirmation for a destructive action on one item: open while {@code item} is set; the danger button closes it
 * and hands the item on, Cancel (or closing) drops it. {@code testId} names the dialog; its buttons add -confirm and
 * -cancel.
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
  if (item === undefined) return null;
  return (
    <Modal variant={ModalVariant.small} isOpen title={title} titleIconVariant="warning" onClose={onClose}
      data-testid={testId}
      actions={[
        <Button key="confirm" variant="danger" data-testid={`${testId}-confirm`}
          onClick={() => {
            onClose();
            onConfirm(item);
          }}>
          {action}
        </Button>,
        <Button key="cancel" variant="link" onClick={onClose} data-testid={`${testId}-cancel`}>
          {t("kccCancel")}
        </Button>,
      ]}>
      {children}
    </Modal>
  );
}

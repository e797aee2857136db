import { PageSection, Text, TextContent, Title } from "@patternfly/react-core";
import { ReactNode } from "react";

/** A page's title and description, as Keycloak's pages show theirs. */
export const PageHeader = ({ title, description, extra }: { title: string; description?: string; extra?: ReactNode }) => (
  <PageSection variant="light" className="pf-v5-u-pb-md">
    <TextContent>
      <Title headingLevel="h1" data-testid="kcc-page-title">
        {title}
      </Title>
      {description && <Text>{description}</Text>}
    </TextContent>
    {extra}
  </PageSection>
);

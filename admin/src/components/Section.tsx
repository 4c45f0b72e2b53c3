// A titled card of a page (the delivery editor's sections, live monitoring's panels, the settings' groups), with an
// optional line under the title and an action on its right.
import type { ReactNode } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

export const Section = ({
  title,
  description,
  action,
  children,
}: {
  title: string;
  description?: string;
  action?: ReactNode;
  children: ReactNode;
}) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start">
        <Box>
          <Typography variant="delta" tag="h2">
            {title}
          </Typography>
          {description && (
            <Box paddingTop={1}>
              <Typography variant="pi" textColor="neutral600">
                {description}
              </Typography>
            </Box>
          )}
        </Box>
        {action}
      </Flex>
      {children}
    </Flex>
  </Box>
);

// A titled card of a page (the delivery editor's sections, live monitoring's panels).
import type { ReactNode } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

export const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

// The design system's Switch paints "off" red (danger500), which reads as an error next to a setting that is simply
// off. Here off is neutral grey and on stays green; disabled keeps the design system's own grey.
import { Switch as DesignSystemSwitch } from '@strapi/design-system';
import { styled } from 'styled-components';

export const Switch = styled(DesignSystemSwitch)`
  &[data-state='unchecked']:not([data-disabled]) {
    background-color: ${({ theme }) => theme.colors.neutral500};
  }
`;

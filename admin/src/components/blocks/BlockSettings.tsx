// The side panel of the selected block: its kind's settings.
import type { ContentBlock } from '../../../../shared/blocks';
import { EntryCardSettings, EntryListSettings } from './EntrySettings';
import type { SettingsProps } from './fields';
import { ImageSettings } from './ImageSettings';
import {
  ButtonSettings,
  DividerSettings,
  HeadingSettings,
  HtmlSettings,
  SocialSettings,
  SpacerSettings,
} from './SimpleSettings';
import { TextSettings } from './TextSettings';
import { ColumnsSettings } from './ColumnsSettings';

type Settings<B extends ContentBlock> = (props: SettingsProps<B>) => React.ReactNode;
const as = <B extends ContentBlock>(Component: Settings<B>) => Component as unknown as Settings<ContentBlock>;

const BY_TYPE: Record<ContentBlock['type'], Settings<ContentBlock>> = {
  heading: as(HeadingSettings),
  text: as(TextSettings),
  image: as(ImageSettings),
  button: as(ButtonSettings),
  divider: as(DividerSettings),
  spacer: as(SpacerSettings),
  columns: as(ColumnsSettings),
  'entry-card': as(EntryCardSettings),
  'entry-list': as(EntryListSettings),
  social: as(SocialSettings),
  html: as(HtmlSettings),
};

export const BlockSettings = (props: SettingsProps) => {
  const Component = BY_TYPE[props.block.type];
  // Keyed by block: a rich-text editor starts afresh for another block.
  return <Component key={props.block.id} {...props} />;
};

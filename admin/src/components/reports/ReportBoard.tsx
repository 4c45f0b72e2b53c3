// The report builder's board: a palette of dimensions and metrics, and the rows, columns, metrics and filters zones
// they are dragged onto. Everything works from the keyboard too: each palette item has a menu "Add to…", and each
// item of a zone has buttons to move it earlier or later and to remove it.
import { useState, type DragEvent, type ReactNode } from 'react';
import { Box, Flex, IconButton, MenuItem, SimpleMenu, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Cross, Drag } from '@strapi/icons';
import type { ReportDefinition, ReportSchemaResponse } from '../../../../shared/contracts/reports';
import { FILTER_OF, accepts, addTo, moveWithin, removeFrom, zonesOf, type PaletteItem, type Zone } from './definition';
import { FilterValues } from './FilterValues';
import { useReportNames } from './useReportNames';
import { useT } from '../../hooks/useT';

/** The drag payload's type: only items of this board can be dropped on its zones. */
const MIME = 'application/x-campaigns-report-item';

type Schema = ReportSchemaResponse['data'];

interface BoardProps {
  schema: Schema;
  definition: ReportDefinition;
  onChange: (definition: ReportDefinition) => void;
}

const ZONE_LABELS: Record<Zone, [string, string]> = {
  rows: ['reports.zone.rows', 'Rows'],
  columns: ['reports.zone.columns', 'Columns'],
  metrics: ['reports.zone.metrics', 'Metrics'],
  filters: ['reports.zone.filters', 'Filters'],
};

const startDrag = (item: PaletteItem, from?: Zone) => (event: DragEvent) => {
  event.dataTransfer.setData(MIME, JSON.stringify({ item, from }));
  event.dataTransfer.setData('text/plain', item.id);
  event.dataTransfer.effectAllowed = 'copyMove';
};

const PaletteEntry = ({
  item,
  label,
  onAdd,
  zones,
}: {
  item: PaletteItem;
  label: string;
  onAdd: (zone: Zone) => void;
  zones: Zone[];
}) => {
  const t = useT();
  return (
    <Box
      draggable
      onDragStart={startDrag(item)}
      data-testid={`palette-${item.id}`}
      background="neutral0"
      borderColor="neutral200"
      hasRadius
      paddingLeft={2}
      paddingRight={1}
      style={{ cursor: 'grab' }}
    >
      <Flex justifyContent="space-between" gap={2}>
        <Flex gap={2}>
          <Drag aria-hidden width="1.2rem" height="1.2rem" />
          <Typography variant="omega">{label}</Typography>
        </Flex>
        <SimpleMenu
          label="+"
          aria-label={t('reports.palette.add', 'Add {name} to…', { name: label })}
          size="S"
          variant="ghost"
          endIcon={null}
        >
          {zones.map((zone) => (
            <MenuItem key={zone} onSelect={() => onAdd(zone)}>
              {t(ZONE_LABELS[zone][0], ZONE_LABELS[zone][1])}
            </MenuItem>
          ))}
        </SimpleMenu>
      </Flex>
    </Box>
  );
};

export const Palette = ({ schema, definition, onChange }: BoardProps) => {
  const t = useT();
  const names = useReportNames();
  const section = (title: string, children: ReactNode) => (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {title}
      </Typography>
      {children}
    </Flex>
  );
  return (
    // Scrolls on its own, so the zones stay in sight while an item is dragged from far down the palette.
    <Box
      background="neutral0"
      padding={4}
      shadow="filterShadow"
      hasRadius
      data-testid="report-palette"
      maxHeight="calc(100vh - 200px)"
      overflow="auto"
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {section(
          t('reports.palette.dimensions', 'Dimensions'),
          schema.dimensions.map(({ id }) => {
            const item: PaletteItem = { kind: 'dimension', id };
            const zones = (['rows', 'columns', 'filters'] as Zone[]).filter(
              (zone) => zone !== 'filters' || FILTER_OF[id],
            );
            return (
              <PaletteEntry
                key={id}
                item={item}
                label={names.dimension(id)}
                zones={zones}
                onAdd={(zone) => onChange(addTo(definition, zone, item))}
              />
            );
          }),
        )}
        {section(
          t('reports.palette.metrics', 'Metrics'),
          schema.metrics.map(({ id }) => {
            const item: PaletteItem = { kind: 'metric', id };
            return (
              <PaletteEntry
                key={id}
                item={item}
                label={names.metric(id)}
                zones={['metrics']}
                onAdd={(zone) => onChange(addTo(definition, zone, item))}
              />
            );
          }),
        )}
      </Flex>
    </Box>
  );
};

const DropZone = ({
  zone,
  definition,
  onChange,
  items,
}: {
  zone: Zone;
  definition: ReportDefinition;
  onChange: BoardProps['onChange'];
  items: string[];
}) => {
  const t = useT();
  const names = useReportNames();
  const [over, setOver] = useState(false);
  const title = t(ZONE_LABELS[zone][0], ZONE_LABELS[zone][1]);
  const nameOf = (id: string) => (zone === 'metrics' ? names.metric(id) : names.dimension(id));
  const hint: Record<Zone, string> = {
    rows: t('reports.zone.rows.hint', 'Drop dimensions here'),
    columns: t('reports.zone.columns.hint', 'Drop a dimension to split into series'),
    metrics: t('reports.zone.metrics.hint', 'Drop metrics here'),
    filters: t('reports.zone.filters.hint', 'Drop delivery, list, domain or event type'),
  };

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!over) setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    setOver(false);
    const raw = event.dataTransfer.getData(MIME);
    if (!raw) return;
    event.preventDefault();
    const { item } = JSON.parse(raw) as { item: PaletteItem };
    // A dimension dragged between rows and columns moves; anything else is added (refused items change nothing).
    if (accepts(zone, item, definition)) onChange(addTo(definition, zone, item));
  };

  return (
    <Box
      role="group"
      aria-label={title}
      data-testid={`zone-${zone}`}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      padding={3}
      hasRadius
      background={over ? 'primary100' : 'neutral100'}
      borderColor={over ? 'primary600' : 'neutral300'}
      borderStyle="dashed"
      borderWidth="1px"
      minHeight="88px"
      height="100%"
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography variant="sigma" textColor="neutral600">
          {title}
        </Typography>
        {items.length === 0 && (
          <Typography variant="pi" textColor="neutral500">
            {hint[zone]}
          </Typography>
        )}
        {items.map((id, index) => {
          const item: PaletteItem =
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the zone tells a metric's id from a dimension's, to cast to ReportMetric or ReportDimension
            zone === 'metrics' ? { kind: 'metric', id: id as any } : { kind: 'dimension', id: id as any };
          const name = nameOf(id);
          return (
            <Box
              key={id}
              draggable={zone !== 'filters'}
              onDragStart={startDrag(item, zone)}
              data-testid={`zone-${zone}-${id}`}
              background="neutral0"
              borderColor="neutral200"
              hasRadius
              paddingLeft={2}
            >
              <Flex justifyContent="space-between" gap={1}>
                <Typography fontWeight="semiBold">{name}</Typography>
                <Flex gap={0}>
                  {zone !== 'filters' && items.length > 1 && (
                    <>
                      <IconButton
                        variant="ghost"
                        size="S"
                        label={t('reports.zone.earlier', 'Move {name} earlier', { name })}
                        disabled={index === 0}
                        onClick={() => onChange(moveWithin(definition, zone, id, -1))}
                      >
                        <ArrowUp />
                      </IconButton>
                      <IconButton
                        variant="ghost"
                        size="S"
                        label={t('reports.zone.later', 'Move {name} later', { name })}
                        disabled={index === items.length - 1}
                        onClick={() => onChange(moveWithin(definition, zone, id, 1))}
                      >
                        <ArrowDown />
                      </IconButton>
                    </>
                  )}
                  <IconButton
                    variant="ghost"
                    size="S"
                    label={t('reports.zone.remove', 'Remove {name} from {zone}', { name, zone: title })}
                    onClick={() => onChange(removeFrom(definition, zone, id))}
                  >
                    <Cross />
                  </IconButton>
                </Flex>
              </Flex>
              {zone === 'filters' && FILTER_OF[id as keyof typeof FILTER_OF] && (
                <Box paddingRight={2} paddingBottom={2}>
                  <FilterValues
                    name={FILTER_OF[id as keyof typeof FILTER_OF]!}
                    label={name}
                    definition={definition}
                    onChange={onChange}
                  />
                </Box>
              )}
            </Box>
          );
        })}
      </Flex>
    </Box>
  );
};

export const Zones = ({ definition, onChange }: Omit<BoardProps, 'schema'>) => {
  const zones = zonesOf(definition);
  return (
    <Flex gap={3} alignItems="stretch" wrap="wrap">
      {(['rows', 'columns', 'metrics', 'filters'] as Zone[]).map((zone) => (
        <Box key={zone} flex="1" minWidth="200px">
          <DropZone zone={zone} definition={definition} onChange={onChange} items={zones[zone]} />
        </Box>
      ))}
    </Flex>
  );
};

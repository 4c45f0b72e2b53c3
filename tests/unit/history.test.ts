// Undo and redo in the block editor: a typed word is one step, a new change drops what could be redone.
import { COALESCE_MS, historyReducer, initialHistory, type History } from '../../admin/src/utils/history';

const apply = (state: History<string>, ...values: Array<[string, string | undefined, number]>) =>
  values.reduce((s, [value, key, at]) => historyReducer(s, { type: 'set', value, key, at }), state);

describe('history', () => {
  it('joins quick changes to one field into one step, and undoes and redoes it', () => {
    let state = apply(initialHistory(''), ['H', 'title', 1000], ['Hi', 'title', 1100], ['Hi!', 'title', 1200]);
    expect(state.past).toEqual(['']);
    state = historyReducer(state, { type: 'undo' });
    expect(state.present).toBe('');
    state = historyReducer(state, { type: 'redo' });
    expect(state.present).toBe('Hi!');
  });

  it('keeps separate steps for another field, a pause, or a change without a field', () => {
    const state = apply(
      initialHistory('a'),
      ['b', 'title', 1000],
      ['c', 'label', 1100],
      ['d', 'label', 1100 + COALESCE_MS + 1],
      ['e', undefined, 5000],
    );
    expect(state.past).toEqual(['a', 'b', 'c', 'd']);
  });

  it('forgets what could be redone once something new is done, and ignores undo with nothing to undo', () => {
    let state = apply(initialHistory('a'), ['b', undefined, 1], ['c', undefined, 2]);
    state = historyReducer(state, { type: 'undo' });
    state = apply(state, ['x', undefined, 3]);
    expect(state.future).toEqual([]);
    expect(historyReducer(initialHistory('a'), { type: 'undo' }).present).toBe('a');
  });
});

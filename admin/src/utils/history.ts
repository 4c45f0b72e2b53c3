// Undo and redo of a value (the delivery's block document). Changes to the same field within a short time are one
// step, so one undo takes back a word typed, not one letter.
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The field of the last change and when it was made: the next change to it within COALESCE_MS joins its step. */
  lastKey: string | null;
  lastAt: number;
}

export const COALESCE_MS = 1000;
const LIMIT = 100;

export type HistoryAction<T> =
  | { type: 'set'; value: T; key?: string; at: number }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; value: T };

export const initialHistory = <T>(value: T): History<T> => ({
  past: [],
  present: value,
  future: [],
  lastKey: null,
  lastAt: 0,
});

export const historyReducer = <T>(state: History<T>, action: HistoryAction<T>): History<T> => {
  switch (action.type) {
    case 'set': {
      if (action.value === state.present) return state;
      const joins = action.key !== undefined && action.key === state.lastKey && action.at - state.lastAt < COALESCE_MS;
      return {
        past: joins ? state.past : [...state.past, state.present].slice(-LIMIT),
        present: action.value,
        future: [],
        lastKey: action.key ?? null,
        lastAt: action.at,
      };
    }
    case 'undo': {
      if (!state.past.length) return state;
      return {
        past: state.past.slice(0, -1),
        present: state.past[state.past.length - 1],
        future: [state.present, ...state.future],
        lastKey: null,
        lastAt: 0,
      };
    }
    case 'redo': {
      if (!state.future.length) return state;
      return {
        past: [...state.past, state.present],
        present: state.future[0],
        future: state.future.slice(1),
        lastKey: null,
        lastAt: 0,
      };
    }
    case 'reset':
      return initialHistory(action.value);
  }
};

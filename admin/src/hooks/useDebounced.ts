// A value that follows another after it stopped changing for `delay` ms: previews render once the user pauses.
import { useEffect, useState } from 'react';

export const useDebounced = <T>(value: T, delay: number): T => {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
};

import { createContext, useContext } from 'react';

/** Loads a stored attachment with the chat's bearer token (stored files are not public). */
export type FetchFile = (url: string) => Promise<Blob>;

export const FetchFileContext = createContext<FetchFile | null>(null);

export function useFetchFile(): FetchFile {
  const fetchFile = useContext(FetchFileContext);
  if (!fetchFile) throw new Error('FetchFileContext missing');
  return fetchFile;
}

/** "A", "A and B", "A, B and C": a list in words, for the pages' sentences and the link's messages. */
export const listWords = (names: readonly string[]): string =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

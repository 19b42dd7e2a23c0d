// Seat ids of a class: `seat-001`, `seat-002`, … in the order of the request.

/** `seat-001` … `seat-040`; the number is padded to the width of the count, at least 3 digits. */
export function seatIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `seat-${String(i + 1).padStart(width, '0')}`);
}

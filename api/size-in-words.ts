/** `n` bytes in words, for limits in messages: 512 KiB, 8 MiB. */
export function sizeInWords(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

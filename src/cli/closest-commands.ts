/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

export interface CommandGuess {
  /** What the user typed as the command, words joined by spaces ("recrodings list"). */
  typed: string
  /** The closest commands or topics, best first (empty when nothing is close). */
  suggestions: string[]
}

/**
 * The closest commands to what was typed. `words` are the non-flag words oclif took as the command id (it also
 * swallows positional arguments: "recrodings list 12"), `known` are command ids and topics with spaces. Each
 * known name is compared with as many typed words as it has, so the arguments after a misspelt command do not
 * count against it; a name is close when each of its words has at most a third of its letters (at least one)
 * wrong.
 */
export function closestCommands(words: readonly string[], known: readonly string[], max = 3): CommandGuess {
  const scored: Array<{ name: string; distance: number; words: number }> = []
  for (const name of new Set(known)) {
    const parts = name.split(' ')
    const n = parts.length
    if (n > words.length) continue
    const distances = parts.map((part, i) => editDistance(words[i]!.toLowerCase(), part.toLowerCase()))
    if (distances.some((d, i) => d > Math.max(1, Math.floor(parts[i]!.length / 3)))) continue
    const distance = distances.reduce((a, b) => a + b, 0)
    // distance 0 is a topic typed right followed by a wrong command: its commands are the better guesses.
    if (distance > 0) scored.push({ name, distance, words: n })
  }
  // Prefer the name that explains more of what was typed (a command over its topic), then the closest.
  scored.sort((x, y) => y.words - x.words || x.distance - y.distance || x.name.localeCompare(y.name))
  const best = scored[0]
  if (!best) return { typed: words.join(' '), suggestions: [] }
  return {
    typed: words.slice(0, best.words).join(' '),
    suggestions: scored
      .filter((s) => s.words === best.words && s.distance <= best.distance + 1)
      .slice(0, max)
      .map((s) => s.name),
  }
}

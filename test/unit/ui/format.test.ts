import { describe, expect, it } from 'vitest'
import { formatBytes, formatPercent, formatTransfer, formatSecondsShort, oneLine, progressBar, recordingTitle, stageLabel } from '../../../src/ui/format.js'

describe('ui text helpers', () => {
  it('formats upload bytes in decimal units, with the speed once it is known', () => {
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(12_500_000)).toBe('12.5 MB')
    expect(formatBytes(2_147_483_648)).toBe('2.1 GB')
    expect(formatTransfer(12_000_000, 50_000_000, 3_200_000)).toBe('12.0 MB of 50.0 MB, 3.2 MB/s')
    expect(formatTransfer(0, 50_000_000, undefined)).toBe('0 B of 50.0 MB')
  })

  it('names stages with one short word, and the target after an upload', () => {
    expect(stageLabel('EXTRACT_TOPICS')).toBe('topics')
    expect(stageLabel('GENERATE_SUBTITLES')).toBe('subtitles')
    expect(stageLabel('UPLOAD', 'youtube')).toBe('upload youtube')
  })

  it('turns text with colour codes, carriage returns and newlines into one clean line', () => {
    expect(oneLine('\u001B[31mError:\u001B[0m frame=  12\rframe=  13\n\tdone  ')).toBe('Error: frame= 12 frame= 13 done')
    expect(oneLine('title \u001B]0;evil\u0007here')).toBe('title here')
  })

  it('formats seconds like a player clock and nothing for unknown', () => {
    expect(formatSecondsShort(80.4)).toBe('1:20')
    expect(formatSecondsShort(3725)).toBe('1:02:05')
    expect(formatSecondsShort(undefined)).toBe('')
  })

  it('shows whole percents, clamped, and 99 % until really finished', () => {
    expect(formatPercent(99.9)).toBe('99%')
    expect(formatPercent(-3)).toBe('0%')
    expect(formatPercent(250)).toBe('100%')
  })

  it('draws a bar of exactly the asked width', () => {
    expect(progressBar(0, 10)).toBe('░░░░░░░░░░')
    expect(progressBar(40, 10)).toBe('████░░░░░░')
    expect(progressBar(100, 10)).toBe('██████████')
    expect(progressBar(140, 4)).toBe('████')
    expect([...progressBar(33, 20)]).toHaveLength(20)
  })

  it('titles a recording by id and name, or id alone', () => {
    expect(recordingTitle(42, 'Lecture\n3')).toBe('#42 Lecture 3')
    expect(recordingTitle(42, '')).toBe('#42')
  })
})

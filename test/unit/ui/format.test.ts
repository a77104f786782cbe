import { describe, expect, it } from 'vitest'
import { formatPercent, formatSecondsShort, oneLine, progressBar, recordingTitle, stageLabel } from '../../../src/ui/format.js'

describe('ui text helpers', () => {
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

/** The last time the local clock showed `hour`:00 at or before `now` (today's, or yesterday's if it is earlier than that). */
export function lastHourMark(now: number, hour: number): number {
  const mark = new Date(now)
  mark.setHours(hour, 0, 0, 0)
  if (mark.getTime() > now) mark.setDate(mark.getDate() - 1)
  return mark.getTime()
}

/** The next time the local clock shows `hour`:00 after `now`. */
export function nextHourMark(now: number, hour: number): number {
  const mark = new Date(lastHourMark(now, hour))
  mark.setDate(mark.getDate() + 1)
  return mark.getTime()
}

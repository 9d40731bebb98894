// The binary assets (model/case.ts ASSETS: font, video, audio), made once and kept here as
// base64 so that nothing is generated or read from the system at run time. Each is tiny and
// decodes in Chromium, Firefox and WebKitGTK as provisioned (the WebM's VP8 needs only the
// GStreamer plugins WebKitGTK depends on; the WAV is plain PCM).

/**
 * A WOFF font with one glyph ("A") and .notdef, family "CC Probe Glyph": a subset of
 * DejaVu Sans 2.37 (Debian's fonts-dejavu-core), renamed as its licence asks of modified
 * versions. Licence: the Bitstream Vera licence with DejaVu's changes in the public domain;
 * the font's own name table keeps the copyright and the licence text. Made with Debian's
 * fonttools 4.38: `pyftsubset DejaVuSans.ttf --unicodes=U+0041 --name-IDs='*' --no-hinting
 * --layout-features='' --drop-tables+=MATH,GDEF,GPOS,GSUB,FFTM`, the family names (name IDs
 * 1, 3, 4, 6, 16) set to CC Probe Glyph, saved with flavor woff.
 */
export const FONT_WOFF_BASE64 =
  'd09GRgABAAAAAAqUAAsAAAAAKrwAAl64AAAAAAAAAAAAAAAAAAAAAAAAAABPUy8yAAABgAAAAFAAAABWbBmvS2NtYXAAAAHYAAAAKQAAADQADACUZ2FzcAAACogAAAAMAAAADAAHAAdn' +
  'bHlmAAACDAAAADgAAAA4T7sniWhlYWQAAAEIAAAANgAAADYsx8EMaGhlYQAAAUAAAAAgAAAAJA2fB29obXR4AAAB0AAAAAgAAAAICkYAdmxvY2EAAAIEAAAABgAAAAYAHAAAbWF4cAAA' +
  'AWAAAAAdAAAAIABCA8FuYW1lAAACRAAACC8AACiEiMarFXBvc3QAAAp0AAAAEwAAACD/2wBaAAEAAAACXrgrDQ59Xw889QAfCAAAAAAA4DCcVwAAAADnM3rY99b8TA5ZCdwAAAAIAAIA' +
  'AAAAAAB4nGNgZGBgz/0ny8DA9+/7tV+BfJEMQBEUwAQAl+oGH3icY2BkYGBgYg5h0GbIYOBhAPEQgIOBBQAWbQEHAAAAeJxjYGThY5zAwMrAwGrMOpOBgVEOQjNfZ0hjEmJgYOJmY2bm' +
  'YGFiYmEASjIggYA01xQGBwZHBkc2kX8ijLPYcxkfJzAw/r//n4EBAHXxDHUEzQBmBXkAEHicY2BgYGJgYGAGYhEgyQimWRgUgDQLEIL4jv//Q8j/B8B8BgBSlwadAAAAAAAAAAAcAAAA' +
  'AgAQAAAFaAXVAAIACgAACQEhATMBIwMhAyMCvP7uAiX+e+UCOdKI/V+I1QUO/RkDrvorAX/+gXic7VrdThtHFB4nadROlai960UvVkhVU8k1USK1Er2JYwyhcYBiA23vFtuACf6RvUCT' +
  'B+iD9Hn6GH2QnvOdMzuz9toxBAyVKgt7dubM+fnOz8yexBjzyPxl7pvCg8+MKTw1RscF8zU9yfieeVyo6fi+KRZ+1/GDgOYTs1b4U8cPzVeFv3X8qVkq/KPjz83KvYc6fvTNyr0XOn5s' +
  'jr99r+MvAp5fQm7F9M3AvDND0zFH5tgkJjJPTNN8R7/PzFP6PKfRAVFE5iXRJGZEf0PTNrHpmiLNbpge0ZdoVDan9InMTsprhKc2/bZpzzl9t4jSziH1h1RqgySdk6wT2tMjatYjpj2X' +
  'k7hKoxPat2fOiKJJtDG4tbEjhkURcenR94BoDohvh+gi2t8n6THWWPMKzW0TfZ9oeM86Ub6jPceQe0R7T8FvFmU0RrsHbUckow8NnpHOz82P5icaj6AN28Mo9c0hfWetqcOWESR6eV5a' +
  'lvoQMgSpRP3IyCVEu2KW6dNS+nOiLxFdn36HhEUbe4dArUQ8WKO1gJtD0XlyMl54jS1pw7tt0rBvLoi2NGHTVT1UyuA8wo4ujVnvBNHACAyxg+OHuZ6PoTJuh4/As0wETrPG0ifPdvFy' +
  'TKMQtclcsOb7j/jYufLr+rM639/e5g6tWIwSzHCUdYH12zSuZ+vClm2DXxfcfL50oNMx1tpq1xGk9NTrRfW7eEukSYxJPBehVx/e72H/QHNSJHBOJRpjHY2CGDwEaas8E2gxHk9N0HEc' +
  'CnfHgalFd4nlNvJYYm8piJIleI73tvA7gl5N2hOrfRZZ0KQI7YJLghWHzyGNTjWTnqQ6eglcQ1j/hOJXop8lekx4ZoCsaZGEJnY7bVqwIEGsHdBqglWRYWdIKGo2N0mzM3ARTC4QA8eo' +
  'Ooki08VcaJGzYZiJStH2DBgWA+/wuAt/iq9tUEFGtLs4xY5iaucyKkgEzpIPwrujqGa9P9tqh5xoO0gjOoFePuq8RRfAozuXBJcNh6jaPbWwHUhs4ZtlFNPz5YQomuAnNM5/HMenWtmc' +
  'h5qQ3YLGHdV0BdnZUO1i4thHZfA+CGuRR2CyEvSIPtFsGGVoXa54xMIaEO6LYHMMza2evmGsCRpylsQz/NnHKRep77v49fVjHl8kOIn45IzVolIGqVl7GZN3eraIdMb8EDq2NJJOEafD' +
  'dEY0ZUxbgc/DqHMnaIwTsYOaIbcQm1rUgqbsr16AxlHmXBVJrobGiB6JXSdjHJ/RB21yWlq1wEdYDB/Nr0FWzjgeeboV1d+n2NeZUs1t6p0h6myMuuL5uplRGpEuX8ZPj7bWuTascJIu' +
  'YFUL+5dyzsOl1O7xHZbW3Gm7FESZ5Ext7Hw5QL73A13PNA9cnJzTaicHsbb5Azj3NJMH9JHTK0ZFbac7Qr+Lzm7G5mbKMSp8hN+R6thGJE2LE1fr8mp3CydBD34P8cpD1QbIhT68aq6O' +
  'UDXdWe2zzWUS3xxO07vHUHdkOQ4Q0W/p+0g9JuchR5VNq+pNVqrpVh1ojiR6Hh6mSL0yVcjZMpv0xHK26Klh9ukeuYO1DZrj96IdWtmjp1WaXYVfyljh9SVk4z6NmeOW2QUv4bFD38z7' +
  'N5ph3hGe+ek10W8SL95bNb9CRpW41UmzLRoz7zc0W6PfqtLxjgrN7NIzj9cN30JF3ibtaiB3eB/rIpo2aN5LzWq1AYlOszf0tEP8X+lqmXhvgB/rX8T9iMebqqcgtwPujBFzZp4V0qiG' +
  'J57dpd9toqsDzzJsFm03YcMarYstVWggnhCNKvS7TbKZYp30agAFltRQyiL8yPasYj9LfQ0q0WxLvcxjz6WkWIoejP9eKrkO+2v0iWB/g2Ya8E2Z+Du+LnbWwYH1tkBjF/aVgcMWJLwE' +
  'HaPIeNbSiNsJvFIBXuw31nwVkspApJ5rieMWeicvOmwqYR32VYFUDdR1wrFK9BvpjMTjBmytKNbCU+JeYqIWoFuBjezZX0hqVWOqDOyyVrCf9qG/t0I8UNbvSoCZ9/6metfp04DkRg4q' +
  '+8jFKqjK8HU9zZE15O8b1Xw3jTBfA3Y1PrdSzbL4ujxydPPUDuHlZGc9uIp4qqmG9RQNobAz+ErtqtK51sR7TpLW7ezJHd4a/W00vHcWg1ob3gSkCq+DtjtG52flbUnOLP+uE97d8t6w' +
  '3dux3OXdrdffPqR2yztReOtt4X4ud8BReivp4x7YT28mF1j1Z/pAeyf9zHseS45x9hdTWe4s8rzkXhnjtsDSRjloTj+h7MSb4QDnvUi5wDjRmwnbd6a0PP9+7G3Y9X8mfRDl+sDZkndz' +
  'CPEfwt8DfZfqAGG+T5aU79C49zKPCSMgfbXumNd99DG3FTPeVWAMjgLNW8DaGunRsUyLeuV6XLffdbruru5d6gfZTD9o/OZ1c/0gm9sPihbcD7Jz9YOyN/lmoJPvdTjK+TqoeR0We2t9' +
  'pWiir2T/7ysFfSXfYfhv9pVs5oS9vb6SzXlbuwt9JZvbV/IWLaavZGf0CxbTV7Lmsn0l/69O19lX8vmW7StNO32nd5fk/VxuEnetu2RNtruU391YTHfJzkA3ChC8210mixibvM0svstk' +
  '73CXyY51mfy77iK7TPaDXaZoYV0me4kuU3RjXSYLDPaI68/QVtAu0/riekc21+e31TuyE72j6NZ6R3Zq78j3gG6+d2Qv0Tuaxfdme0eusk4/USY7PvYKHZ+wS3OdHR/7UR2fyXe2q3V8' +
  'bNDxmdV3uI4OTTLB/4XxnQYLOfxU+oj/c7UMXN7S3zJ0a+HWVML9dUBzmdvYv621psEAeJxjYGYAg/83GKIYsAAAMy8CNQAAAAACAAgAAv//AAM=';

/** A WebM with one 16×16 red VP8 frame lasting 1 s. Made with Debian's ffmpeg 5.1:
 *  `ffmpeg -f lavfi -i color=c=red:s=16x16:r=1:d=1 -frames:v 1 -c:v libvpx -b:v 10k -an
 *  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -f webm video.webm`. */
export const VIDEO_WEBM_BASE64 =
  'GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAAAG/EU2bdLpNu4tTq4QVSalmU6yBoU27i1OrhBZUrmtTrIHGTbuMU6uEElTDZ1OsggEMTbuMU6uEHFO7' +
  'a1OsggGp7AEAAAAAAABZAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAV' +
  'SalmoCrXsYMPQkBNgIRMYXZmV0GETGF2ZkSJiECPQAAAAAAAFlSua8GuAQAAAAAAADjXgQFzxYgAAAAAAAAAAZyBACK1nIN1bmSIgQCGhVZfVlA4g4EBI+ODhDuaygDgibCBELqBEJqB' +
  'AhJUw2fRc3POY8CLY8WIAAAAAAAAAAFnyJhFo4dFTkNPREVSRIeLTGF2YyBsaWJ2cHhnyKJFo4hEVVJBVElPTkSHlDAwOjAwOjAxLjAwMDAwMDAwMAAAH0O2dcLngQCjvYEAAIDwAgCd' +
  'ASoQABAAAEcIhYWImYSIAgICdaoD+AP6Ag1N7gD+/W7z/+Rv4+dG/8jj//xKnuOJ4//8RoAcU7trkbuPs4EAt4r3gQHxggFi8IED';

/** A WAV of 0.1 s of a 440 Hz tone, 8 kHz mono 8-bit PCM. Made with Debian's ffmpeg 5.1:
 *  `ffmpeg -f lavfi -i sine=frequency=440:sample_rate=8000:duration=0.1 -ac 1 -c:a pcm_u8
 *  -map_metadata -1 -fflags +bitexact -flags:a +bitexact audio.wav`. */
export const AUDIO_WAV_BASE64 =
  'UklGRkQDAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YSADAACAhYqNj4+OioWAe3ZycHBxdXl+hImNj4+Oi4aBfHdzcHBxdHh9g4iMj4+OjIeCfXdzcHBwc3d9goeLjo+P' +
  'jIiDfXh0cXBwc3d8gYaLjo+PjYmEfnl1cXBwcnZ7gIWKjo+PjYqFgHp1cnBwcXV6f4SJjY+PjoqGgXt2cnBwcXR5foOIjI+PjouHgnx3c3BwcXR4fYKIjI+Pj4yIg314dHFwcHN3fIKH' +
  'i46Pj4yIg355dHFwcHJ2e4GGio6Pj42JhH96dXFwcHJ1en+Fio2Pj46KhYB7dnJwcHF1eX6EiY2Pj46LhoF8d3NwcHF0eH2DiIyPj46Mh4J9d3NwcHBzd32Ch4uOj4+MiIN9eHRxcHBz' +
  'd3yBhouOj4+NiYR+eXVxcHBydnuAhYqOj4+NioWAenVycHBxdXp/hImNj4+OioaBe3ZycHBxdHl+g4iMj4+Oi4eCfHdzcHBxdHh9goiMj4+PjIiDfXh0cXBwc3d8goeLjo+PjIiDfnl0' +
  'cXBwcnZ7gYaKjo+PjYmEf3p1cXBwcnV6f4WKjY+PjoqFgHt2cnBwcXV5foSJjY+PjouGgXx3c3BwcXR4fYOIjI+PjoyHgn13c3BwcHN3fYKHi46Pj4yIg314dHFwcHN3fIGGi46Pj42J' +
  'hH55dXFwcHJ2e4CFio6Pj42KhYB6dXJwcHF1en+EiY2Pj46KhoF7dnJwcHF0eX6DiIyPj46Lh4J8d3NwcHF0eH2CiIyPj4+MiIN9eHRxcHBzd3yCh4uOj4+MiIN+eXRxcHBydnuBhoqO' +
  'j4+NiYR/enVxcHBydXp/hYqNj4+OioWAe3ZycHBxdXl+hImNj4+Oi4aBfHdzcHBxdHh9g4iMj4+OjIeCfXdzcHBwc3d9goeLjo+PjIiDfXh0cXBwc3d8gYaLjo+PjYmEfnl1cXBwcnZ7' +
  'gIWKjo+PjYqFgHp1cnBwcXV6f4SJjY+PjoqGgXt2cnBwcXR5foOIjI+PjouHgnx3c3BwcXR4fYKIjI+Pj4yIg314dHFwcHN3fIKHi46Pj4yIg355dHFwcHJ2e4GGio6Pj42JhH96dXFw' +
  'cHJ1eg==';

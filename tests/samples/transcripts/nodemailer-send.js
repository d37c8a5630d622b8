const nodemailer = require('nodemailer');
const [port, withAuth] = [Number(process.argv[2]), process.argv[3] === 'auth'];
const options = {host: '127.0.0.1', port, secure: false, ignoreTLS: true, logger: true, debug: true, name: 'client.example.org'};
if (withAuth) options.auth = {user: 'vera', pass: 'secret'};
const transporter = nodemailer.createTransport(options);
transporter.sendMail({from: 'vera@example.org', to: 'walt@example.net', subject: 'hello', text: 'Hello.'})
  .then(info => console.log('sent', info.response)).catch(err => console.log('error', err.message));
